"""One unambiguous date format per language, used wherever a person reads a
date: "Nov 30, 2026" in English, "30 nov. 2026" in Spanish (never "11/30/2026",
which a Mexican reader takes for the 11th of a 30th month). Django's own
locale formats still supply what these modules leave out (input formats,
separators). Selected by ``FORMAT_MODULE_PATH`` in the settings."""
