using MetaRewarding.Activities.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace MetaRewarding.Worker.Tests.Hosting;

/// <summary>
/// A <c>demo</c> or <c>experiment</c> session stopped the way Ctrl+C stops it, in the middle of iteration 1's
/// training: the durability tests run it, then the same session again on the same folder.
/// </summary>
internal static class InterruptedSession
{
    /// <summary>
    /// Runs <paramref name="session"/> on activity doubles that hold every DPO training, until two runs are held there
    /// (both model slots; everything before training has finished in them), then cancels it. Returns the doubles,
    /// whose calls say which runs got that far.
    /// </summary>
    public static async Task<FakeActivities> StopInIterationOneTrainingAsync(
        Func<Action<IServiceCollection>, CancellationToken, Task<int>> session, TextWriter sessionErrors)
    {
        var held = new FakeActivities { HoldTrainDpo = new TaskCompletionSource().Task };
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var running = session(services => services.AddSingleton<IRunActivities>(held).AddSingleton<IModelActivities>(held), stop.Token);
        while (held.Calls.Count(c => c.StartsWith("TrainDpo(", StringComparison.Ordinal)) < 2)
        {
            Assert.False(running.IsCompleted, sessionErrors.ToString());
            await Task.Delay(50, stop.Token);
        }
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        return held;
    }
}
