"""Prefect flows: they only wire the plain functions in ``tasks`` together.

``flows.spec`` (the job spec) and ``flows.creative_job`` (the flow) are the public entry
points; heavy imports (Prefect) happen when those modules are imported, not here.
"""

__all__: list[str] = ["batch_analysis", "creative_job", "spec"]
