terraform {
  required_version = ">= 1.5.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 7.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 3.0"
    }
  }

  # The state names every resource of production (no secrets: none are managed here). Keep it in a
  # versioned bucket rather than on one machine once more than one person applies, e.g.:
  #   backend "gcs" {
  #     bucket = "<project>-terraform-state"
  #     prefix = "coditect/production"
  #   }
}
