"""The channels: Telegram (`telegram/`, the only package importing `telegram`) and the terminal."""
