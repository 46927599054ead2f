# Django's French date and time formats,
# each time followed by the site's time zone (see ../__init__.py).
DATETIME_FORMAT = "j F Y H:i T"
SHORT_DATETIME_FORMAT = "d/m/Y H:i T"
