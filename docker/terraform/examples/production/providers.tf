provider "google" {
  project = var.project_id
  region  = var.region
}

# The operator's own Google credentials (gcloud auth application-default login), as a short-lived
# token: no cluster certificate or kubeconfig is written anywhere.
data "google_client_config" "current" {}

# Configured from the cluster this same configuration creates. The kubernetes_* resources it manages
# (modules/fleet) need the API only at apply time, after the cluster exists.
provider "kubernetes" {
  host                   = "https://${module.cluster.endpoint}"
  token                  = data.google_client_config.current.access_token
  cluster_ca_certificate = base64decode(module.cluster.ca_certificate)
}
