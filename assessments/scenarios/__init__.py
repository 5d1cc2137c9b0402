"""Named scenarios of an assessment: their reads, writes, forms and the comparison chart."""
