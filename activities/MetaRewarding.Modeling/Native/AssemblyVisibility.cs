using System.Runtime.CompilerServices;

// The sampler's arithmetic is tested directly with hand-made distributions, not only through a model.
[assembly: InternalsVisibleTo("MetaRewarding.Modeling.Tests")]
