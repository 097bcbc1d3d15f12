"""The Telegram edge: Updates in, `Reply` objects out as messages. The only package that imports
`telegram`; everything it calls is the channel-neutral core."""
