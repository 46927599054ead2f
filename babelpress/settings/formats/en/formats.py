# Django's English date and time formats,
# each time followed by the site's time zone (see ../__init__.py).
DATETIME_FORMAT = "N j, Y, P T"
SHORT_DATETIME_FORMAT = "m/d/Y P T"
