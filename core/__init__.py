"""The ground floor: settings, the error tree and metrics, which every other package imports.

Nothing here imports another package of the studio: arrows only point down, from
``studio`` (CLI, local stack) through ``flows``, ``tasks``, ``inference`` and ``sandbox`` to here.
"""
