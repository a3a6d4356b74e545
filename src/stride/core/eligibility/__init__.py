"""Candidacy engine: explainable, versioned eligibility rule sets (SDR, cell therapy).

Each criterion is a named :class:`~.model.Rule` with its source; :func:`~.engine.evaluate`
runs a released :class:`~.model.RuleSet` on a child's :class:`~.facts.Facts` and returns a
:class:`~.model.Decision` with every rule's result, the overall outcome and the facts still
missing. Results carry stable reason codes (:mod:`.reasons`); :mod:`.family` words a
decision for families. Rule sets are looked up in :mod:`.catalogue` and never change once
released, so a stored rule-set id and facts snapshot always reproduce the decision.

Modules: ``facts`` (the typed facts), ``model`` (rules, results, decisions), ``reasons``
(reason codes and English templates), ``engine`` (evaluation), ``catalogue`` (released rule
sets), ``rule_sets/`` (one module per rule set and version), ``family`` (family wording),
``checks`` (check builders shared by rule sets), ``errors``.
"""
