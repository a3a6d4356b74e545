from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """Remote evaluation: assessments, consultations, notes and signed candidacy decisions."""

    name = "stride.web.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation"
