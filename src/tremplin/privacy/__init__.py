"""Personal data obligations: export, erasure, retention applied, and the record of
processing (RGPD art. 30)."""
