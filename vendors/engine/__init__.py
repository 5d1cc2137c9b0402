"""Vendor selection rules without Django: ranking (AHP, weighted sum, TOPSIS), shortlists, scope."""
