"""Contract rules without Django: credits, cents, savings, scorecards, renewals, periods, files."""
