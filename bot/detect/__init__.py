"""Reading a message: crisis detection (rules over lexicons and a learned classifier) and the
short intents ("hi", "thanks"). Runs before anything else and needs nothing that can fail."""
