"""The GitHub Action: read the pull_request event, optimize the changed functions, publish the verified speedups."""
