"""Portfolio figures without Django: the dashboard's and the board pack's headline maths."""
