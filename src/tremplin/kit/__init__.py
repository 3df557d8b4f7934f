"""The communication kit (posters, social visuals, texts, video teaser, proof and release)
and the partners' relay portal and widget (capability C5)."""
