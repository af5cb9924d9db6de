"""What every feature shares and no feature owns: access, policy, lifecycle, errors, htmx, forms, templating…

Arrows point down: app → blueprints → core → models. Nothing here imports a feature.
"""
