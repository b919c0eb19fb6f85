"""esgwh: build and publish the ESG metrics warehouse (migrate -> load -> dbt build -> publish)."""
