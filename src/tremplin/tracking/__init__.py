"""Daily tracking of the campaigns: series, cockpit, forecasts, alerts, digest, attribution,
past editions, the final report and open data (capability C4)."""
