namespace MetaRewarding.Modeling.Tests.Training;

/// <summary>IProgress that runs its callback inline (Progress&lt;T&gt; posts to the thread pool, too late for tests).</summary>
internal sealed class SynchronousProgress<T>(Action<T> onReport) : IProgress<T>
{
    public void Report(T value) => onReport(value);
}
