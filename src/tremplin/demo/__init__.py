"""The demo programme loaded by ``tremplin demo``: French, realistic and fictitious."""
