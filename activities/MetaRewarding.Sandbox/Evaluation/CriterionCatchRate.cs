namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>
/// For one criterion: of the responses that truly violate it, how many the judge marked <c>-</c>. Judgments
/// whose marks do not parse count as not caught (a judge that cannot write its marks has not checked the rule).
/// </summary>
/// <param name="Criterion">The criterion's name, e.g. "contains".</param>
/// <param name="Index">Its position in the marks.</param>
/// <param name="Caught">Violations caught, out of the violations seen.</param>
/// <param name="FalseAlarms">Responses meeting the criterion that the judge marked <c>-</c>, out of those meeting it.</param>
public sealed record CriterionCatchRate(string Criterion, int Index, Ratio Caught, Ratio FalseAlarms);
