"""The channel-neutral core: a message or a button plus the user's preferences in, a `Reply` out.

Nothing here imports `telegram`; channels (`bot.channels`) translate their own objects into calls
of the turn service and render the replies it returns.
"""
