"""Discovery: interview guides and interviews, surveys with private links, incentives."""
