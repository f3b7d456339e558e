# "30 nov. 2026", "30 nov. 2026, 16:56": the month abbreviated as the RAE
# does (ene., feb., ... dic.), never numeric; 24-hour time.
DATE_FORMAT = r"j b. Y"
SHORT_DATE_FORMAT = r"j b. Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j b. Y, H:i"
SHORT_DATETIME_FORMAT = r"j b. Y, H:i"
MONTH_DAY_FORMAT = r"j b."
YEAR_MONTH_FORMAT = r"b. Y"
