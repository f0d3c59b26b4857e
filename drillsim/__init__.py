"""drillsim: a disaster-recovery drill simulator.

Layers (imports only point down): ``model`` (pydantic scenario schema, no SimPy) < ``engine``
(SimPy world, no Textual) < ``batch`` / ``invest`` / ``report`` / ``tui`` < ``cli``.
"""

__version__ = "0.1.0"
