"""Contract forecasts: the projected savings a contract's realised savings are compared with.

``services`` computes and stores them (``ContractForecast``), ``tasks`` runs that on the
worker, ``receivers`` sends the work when a projection finishes or a contract's processes
change. The pages read what is stored (``contracts.selectors.savings``).
"""
