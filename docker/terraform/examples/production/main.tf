# CODITECT Development Studio in production: a GKE Autopilot cluster running the fleet service, which
# makes one workspace (StatefulSet, one pod) per person; their replicas in one versioned bucket; their
# images in Artifact Registry; each with a Google identity of its own through Workload Identity.
# docs/terraform.md has the steps, and what is done after apply with kubectl and Cloud Build.

locals {
  # The APIs the modules call. Left enabled on destroy: other things in the project may use them.
  services = [
    "artifactregistry.googleapis.com",
    "cloudbuild.googleapis.com",
    "compute.googleapis.com",
    "container.googleapis.com",
    "iam.googleapis.com",
    # Workload Identity exchanges a pod's Kubernetes token for its Google account's through this API.
    "iamcredentials.googleapis.com",
    "logging.googleapis.com",
    "storage.googleapis.com",
  ]
  labels = { app = "coditect", environment = "production" }
}

resource "google_project_service" "apis" {
  for_each = toset(local.services)

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

module "cluster" {
  source = "../../modules/cluster"

  project_id          = var.project_id
  region              = var.region
  name                = var.cluster_name
  release_channel     = var.release_channel
  private_nodes       = var.private_nodes
  authorized_networks = var.authorized_networks
  deletion_protection = var.deletion_protection

  depends_on = [google_project_service.apis]
}

module "bucket" {
  source = "../../modules/bucket"

  project_id                   = var.project_id
  name                         = var.bucket_name
  location                     = var.region
  nearline_after_days          = var.nearline_after_days
  delete_noncurrent_after_days = var.delete_noncurrent_after_days
  labels                       = local.labels

  depends_on = [google_project_service.apis]
}

module "identities" {
  source = "../../modules/identities"

  project_id  = var.project_id
  bucket_name = module.bucket.name
  # From the cluster, not spelled out: the bindings must wait until the pool exists.
  workload_identity_pool = module.cluster.workload_pool
  namespace              = var.namespace
  build_submitters       = var.build_submitters

  depends_on = [google_project_service.apis]
}

module "registry" {
  source = "../../modules/registry"

  project_id = var.project_id
  location   = var.region
  readers    = { nodes = "serviceAccount:${module.cluster.node_service_account_email}" }
  builders   = { build = "serviceAccount:${module.identities.build_service_account_email}" }
  labels     = local.labels

  depends_on = [google_project_service.apis]
}

module "fleet" {
  source = "../../modules/fleet"

  namespace           = var.namespace
  fleet_gsa_email     = module.identities.fleet_service_account_email
  workspace_gsa_email = module.identities.workspace_service_account_email
  fleet_image         = "${module.registry.repository_url}/fleet:${var.fleet_image_tag}"
  studio_image        = "${module.registry.repository_url}/studio:${var.studio_image_tag}"
  bucket_name         = module.bucket.name
  host                = var.host
  auth_jwks_url       = var.auth_jwks_url
  auth_audience       = var.auth_audience
  idle_minutes        = var.idle_minutes
  warm_pool           = var.warm_pool
  v1_url              = var.v1_url
}
