package io.ferry.cli.service;

import java.util.List;

/** The steps one service action takes on one platform, and what to tell the operator afterwards. */
public record ServicePlan(List<Step> steps, String done) {
  public ServicePlan {
    steps = List.copyOf(steps);
  }
}
