using MetaRewarding.Modeling.Native;
using TorchSharp;

namespace MetaRewarding.Modeling.Tests.Native;

public class TorchLoadTests
{
    [Fact]
    public void Matmul_AfterInitialize_ComputesOnCpu()
    {
        TorchRuntime.Initialize();
        using var a = torch.tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = torch.tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        using var product = torch.matmul(a, b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, product.data<float>().ToArray());
        Assert.True(torch.get_num_threads() <= TorchRuntime.DefaultThreads);
    }

    [Fact]
    public void UseThreads_SetsTheCallingThreadsCount_AndTheScopeRestoresTheConfiguredOne()
    {
        TorchRuntime.Initialize();
        // Narrowing to one thread, not widening: other test classes may run torch work meanwhile.
        using (TorchRuntime.UseThreads(1))
        {
            Assert.Equal(1, torch.get_num_threads());
        }

        Assert.Equal(TorchRuntime.Threads, torch.get_num_threads());
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchRuntime.UseThreads(0));
    }
}
