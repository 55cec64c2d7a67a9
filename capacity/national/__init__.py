"""National figures per target group: entered by coordinators (page, API, admin), read on the
dashboard, where the crisis-shelter tipping point is judged on the national occupancy."""
