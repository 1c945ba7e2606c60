using static TorchSharp.torch;

namespace MetaRewarding.Modeling.Training;

/// <summary>Per-example terms of the sigmoid DPO loss (Rafailov et al. 2023), each [B].</summary>
/// <param name="Losses">-log σ(β·((π_c − ref_c) − (π_r − ref_r))).</param>
/// <param name="ChosenRewards">β·(π_c − ref_c), detached.</param>
/// <param name="RejectedRewards">β·(π_r − ref_r), detached.</param>
public sealed record DpoLossTerms(Tensor Losses, Tensor ChosenRewards, Tensor RejectedRewards);

public static class DpoLoss
{
    /// <summary>Computes the sigmoid DPO loss from summed completion log-probabilities, all [B].</summary>
    public static DpoLossTerms Compute(
        Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected, double beta)
    {
        ArgumentNullException.ThrowIfNull(policyChosen);
        ArgumentNullException.ThrowIfNull(policyRejected);
        ArgumentNullException.ThrowIfNull(referenceChosen);
        ArgumentNullException.ThrowIfNull(referenceRejected);
        var chosenLogRatio = policyChosen - referenceChosen;
        var rejectedLogRatio = policyRejected - referenceRejected;
        var losses = -nn.functional.logsigmoid(beta * (chosenLogRatio - rejectedLogRatio));
        return new DpoLossTerms(losses, (beta * chosenLogRatio).detach(), (beta * rejectedLogRatio).detach());
    }
}
