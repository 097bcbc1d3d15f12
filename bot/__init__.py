"""Guide: quick, cited guidance on the wellbeing of human rights defenders at risk.

The core (corpus, search, intents, dialogue, store) is channel-neutral and never imports
`telegram`; the Telegram adapter in `bot.tg` and the terminal adapter in `bot.terminal` sit on it.
"""

__version__ = "0.1.0"
