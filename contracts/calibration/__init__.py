"""Calibration against outcomes: where realised savings fell within their forecasts.

``selectors`` gathers each contract's evidence (the contract page's comparison of realised
with projected savings, ``contracts.selectors.savings``) and builds the report with the
pure engine (``contracts.engine.calibration``); ``services`` stores the calibrated
assumption set (``contracts.engine.calibration_update``) in the assessments app, where new
projections read it; ``charts`` and ``views`` show the report. The method is in
docs/methodology-calibration.md.
"""
