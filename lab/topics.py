"""The lab's figure topics: the one list lessons may embed (```lab-figures TOPIC) and
/lab/figures/<topic>/ serves. No model import, so lesson rendering can read it anywhere."""

# topic -> the experiment (a lab.models.Result.Kind value) whose newest run it shows
EXPERIMENT_TOPICS = {
    "cold-warm": "cold-warm",
    "app-servers": "servers",
    "cold-start": "cold-start",
    "stampede": "stampede",
    "cache-page": "cache-page",
    "race": "race",
    "failover": "failover",
    "full-cache": "full-cache",
}
# The committed benchmark (`make bench`), not an experiment.
BENCH = "bench"
# Live: what the site's own cache servers say now, no stored run.
CACHE_SERVERS = "cache-servers"
TOPICS = (*EXPERIMENT_TOPICS, BENCH, CACHE_SERVERS)
