/* The admin writes the site's time zone beside its date and time fields
   (babelpress/newsroom/admin_time_zone.py), so Django's note comparing it with the browser's
   ("Note: You are 1 hour behind server time.") is left out. This file comes right after Django's
   DateTimeShortcuts.js, which adds the note when the page has loaded; "Now" and "Today" keep
   filling in the site's time. */
'use strict';
if (window.DateTimeShortcuts) {
    window.DateTimeShortcuts.addTimezoneWarning = function() {};
}
