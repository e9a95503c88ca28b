"""diplowatch core: activity model, feeds, baselines and scoring, incidents, alerts.

The core never imports discord; Discord is one way out for alerts, the terminal another.
"""

__version__ = "0.1.0"
