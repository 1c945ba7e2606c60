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
}
