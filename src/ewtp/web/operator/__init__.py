"""The operator console: the network map, 72-hour coverage and the pages built on them.

Only users of an operator account see these pages; a merchant session is refused (403).
"""
