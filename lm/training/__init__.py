"""Training: a validated config, a Trainer with an explicit RunState, and the events it reports.

    config    TrainConfig (torch-free)
    events    Started, Progress, Evaluated, Sampled, Saved; TrainResult
    state     RunState: what last.pt keeps to resume exactly
    trainer   Batches, Checkpoints, Trainer, train()
"""
