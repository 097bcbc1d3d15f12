"""Guide: quick, cited guidance on the wellbeing of human rights defenders at risk.

The layout is the architecture:
- `bot.detect`: reading a message, crisis first (rules, a learned classifier), and intents;
- `bot.search`: text analysis and BM25 over the corpus;
- `bot.content`: loading and validating the YAML content (`corpus/`, `intents/`);
- `bot.core`: the channel-neutral turn service: text or button plus preferences in, a `Reply` out;
- `bot.channels`: Telegram (the only package importing `telegram`) and the terminal;
- `bot.store`, `bot.settings`, `bot.ops`, `bot.cli`: keeping what may be kept, configuration,
  operator commands.
"""

__version__ = "0.1.0"
