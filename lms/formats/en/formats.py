# "Nov 30, 2026", "Nov 30, 2026, 4:56 PM": the month spelled, never numeric,
# and no trailing "p.m." whose period doubles at the end of a sentence.
DATE_FORMAT = "M j, Y"
SHORT_DATE_FORMAT = "M j, Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "M j, Y, g:i A"
SHORT_DATETIME_FORMAT = "M j, Y, g:i A"
MONTH_DAY_FORMAT = "M j"
YEAR_MONTH_FORMAT = "M Y"
