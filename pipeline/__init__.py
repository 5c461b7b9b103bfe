"""metadossier: Dutch rekenkamer reports on jeugdhulp → a searchable, classified, clustered evidence base.

Stages, one module each: extract → segment → classify → cluster → synthesize, with store
holding the results. `ingest` runs extract → segment → classify → store for a batch.
"""

__version__ = "0.1.0"
