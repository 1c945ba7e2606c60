using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model;
using MetaRewarding.Activities.Run;
using MetaRewarding.Modeling.Native;
using MetaRewarding.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Serilog;
using Temporalio.Client;
using Temporalio.Extensions.Hosting;

namespace MetaRewarding.Worker.Hosting;

/// <summary>
/// The worker process as a Generic Host: one hosted Temporal worker per served queue. The CPU queue runs both
/// workflows and the run activities; the GPU queue runs the model activities one at a time by default
/// (<c>MaxConcurrentActivities = 1</c>: shards wait in Temporal, where another GPU worker can take them, instead of
/// fighting over one device's memory). Stopping the host (Ctrl+C, SIGTERM) stops polling and lets running
/// activities finish for <see cref="WorkerSettings.GracefulShutdownSeconds"/> before they are cancelled.
/// </summary>
public static class WorkerHost
{
    /// <summary>
    /// How much longer than <see cref="WorkerSettings.GracefulShutdownSeconds"/> the host waits for its workers to
    /// drain and report back. A supervisor's stop grace period (compose's stop_grace_period, the Helm chart's
    /// terminationGracePeriodSeconds) must cover both, or it kills a draining worker.
    /// </summary>
    public static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Builds the host over an already connected <paramref name="client"/>. Activity implementations are the real
    /// ones unless <paramref name="services"/> registered <see cref="IRunActivities"/> / <see cref="IModelActivities"/>
    /// first (tests register doubles).
    /// </summary>
    public static IHost Build(IConfiguration configuration, ITemporalClient client, Action<IServiceCollection>? services = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(client);
        var settings = MetaRewardingConfiguration.Worker(configuration);
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        var graceful = TimeSpan.FromSeconds(settings.GracefulShutdownSeconds);
        // The host must wait at least as long as the workers drain, plus a margin for them to report back.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = graceful + ShutdownMargin);
        builder.Services.AddSerilog((_, logger) => LoggingSetup.Configure(logger, configuration));
        builder.Services.AddSingleton(client);
        services?.Invoke(builder.Services);

        var root = Path.GetFullPath(settings.Artifacts);
        builder.Services.TryAddSingleton(_ => new ArtifactStore(root));
        builder.Services.TryAddSingleton<IRunActivities>(sp => new RunActivities(sp.GetRequiredService<ArtifactStore>()));
        builder.Services.TryAddSingleton(new ModelActivitiesOptions { StoreRoot = root, Device = settings.Device, ComputeDtype = settings.ComputeDtype });
        builder.Services.TryAddSingleton<LoadedModelCache>();
        builder.Services.TryAddSingleton<IModelActivities, ModelActivities>();

        var queues = settings.ServedQueues();
        if (queues.Contains(WorkerSettings.CpuQueue))
        {
            builder.Services.AddHostedTemporalWorker(settings.CpuTaskQueue)
                .AddWorkflow<RunWorkflow>()
                .AddWorkflow<IterationWorkflow>()
                .ApplyTemporalActivities<IRunActivities>()
                .ConfigureOptions(o => Common(o, graceful));
        }

        if (queues.Contains(WorkerSettings.GpuQueue))
        {
            var slots = settings.EffectiveModelActivitySlots;
            if (slots > 1)
            {
                // Slots share the CPU cores. The first Initialize fixes torch's thread count for the process, so
                // this runs before the model cache loads torch with the default.
                TorchRuntime.Initialize(Math.Max(1, TorchRuntime.DefaultThreads / slots));
            }

            builder.Services.AddHostedTemporalWorker(settings.GpuTaskQueue)
                .ApplyTemporalActivities<IModelActivities>()
                .ConfigureOptions(o =>
                {
                    Common(o, graceful);
                    o.MaxConcurrentActivities = slots;
                });
        }

        return builder.Build();
    }

    private static void Common(TemporalWorkerServiceOptions options, TimeSpan graceful)
    {
        options.GracefulShutdownTimeout = graceful;
        options.Interceptors = [new ActivityLogContextInterceptor()];
    }
}
