"""Assessments: process inventory, questionnaire, recommendations, roadmap and projections."""
