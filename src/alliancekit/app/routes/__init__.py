"""The API's routes, one module per concern; :func:`alliancekit.app.api.create_app` adds
them in this order."""

ORDER = ("dashboard", "data", "network", "burden", "sweep")
