# Django's Russian date and time formats,
# each time followed by the site's time zone (see ../__init__.py).
DATETIME_FORMAT = "j E Y г. G:i T"
SHORT_DATETIME_FORMAT = "d.m.Y H:i T"
