// Each test class starts real host and worker processes; on two cores they run one class at a time.
[assembly: DoNotParallelize]
