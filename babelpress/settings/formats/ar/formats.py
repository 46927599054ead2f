# Django's Arabic date and time formats joined (it has no DATETIME_FORMAT), each time followed by
# the site's time zone (see ../__init__.py). \u200f: the right-to-left marks of Django's own.
DATETIME_FORMAT = "j F\u060c Y\u060c g:i A T"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y g:i A T"
