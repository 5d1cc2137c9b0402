"""Pure scoring engine for outsourcing assessments: no Django, no database."""
