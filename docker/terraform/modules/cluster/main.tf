# The GKE Autopilot cluster the fleet and its workspaces run in. Autopilot because a workspace is one
# pod with requests equal to limits (docker/k8s/statefulset.yaml): billing per pod request, and no node
# pools to size for a fleet that grows and sleeps.

# Nodes run as their own account, not the Compute Engine default one (which often holds Editor): a
# container that escapes to the node gets logging and monitoring writes, and image pulls from the one
# repository (modules/registry), nothing more.
resource "google_service_account" "nodes" {
  project      = var.project_id
  account_id   = var.node_account_id
  display_name = "CODITECT GKE nodes"
  description  = "Node VMs of the ${var.name} Autopilot cluster: logs, metrics, image pulls."
}

# The predefined role GKE asks of a node service account (logging, monitoring, metadata writes).
resource "google_project_iam_member" "nodes_default" {
  project = var.project_id
  role    = "roles/container.defaultNodeServiceAccount"
  member  = "serviceAccount:${google_service_account.nodes.email}"
}

resource "google_container_cluster" "this" {
  project  = var.project_id
  name     = var.name
  location = var.region

  enable_autopilot    = true
  deletion_protection = var.deletion_protection

  network    = var.network
  subnetwork = var.subnetwork

  # Workspaces need GKE 1.29 or later (the GCS FUSE sidecar must be a native sidecar to outlive the
  # studio's final sync); every channel is past that, and a channel keeps the cluster patched.
  release_channel {
    channel = var.release_channel
  }

  # The pool the Workload Identity bindings of modules/identities name: pods get Google credentials
  # from their Kubernetes service account, never from a key file.
  workload_identity_config {
    workload_pool = "${var.project_id}.svc.id.goog"
  }

  # Autopilot turns the GCS FUSE CSI driver on by default; stated so that a change of default cannot
  # silently break every workspace's bucket mount.
  addons_config {
    gcs_fuse_csi_driver_config {
      enabled = true
    }
  }

  cluster_autoscaling {
    auto_provisioning_defaults {
      service_account = google_service_account.nodes.email
      # Access is decided by the account's IAM roles; the broad scope only stops scopes from cutting
      # across them.
      oauth_scopes = ["https://www.googleapis.com/auth/cloud-platform"]
    }
  }

  # The provider asks that the block be left out unless private nodes are on.
  dynamic "private_cluster_config" {
    for_each = var.private_nodes ? [1] : []
    content {
      enable_private_nodes = true
      # The control plane stays reachable from outside (kubectl, Terraform's kubernetes provider);
      # narrow it with authorized_networks.
      enable_private_endpoint = false
    }
  }

  dynamic "master_authorized_networks_config" {
    for_each = length(var.authorized_networks) > 0 ? [1] : []
    content {
      dynamic "cidr_blocks" {
        for_each = var.authorized_networks
        content {
          cidr_block   = cidr_blocks.value.cidr_block
          display_name = cidr_blocks.value.display_name
        }
      }
    }
  }

  # Nodes that start before their account has its role cannot send logs or register cleanly.
  depends_on = [google_project_iam_member.nodes_default]
}

# Private nodes have no public address, but agents call their vendors' APIs and the studio pulls from
# npm and the like: Cloud NAT gives the region's pods a way out.
resource "google_compute_router" "nat" {
  count = var.private_nodes ? 1 : 0

  project = var.project_id
  name    = "${var.name}-nat"
  region  = var.region
  network = var.network
}

resource "google_compute_router_nat" "nat" {
  count = var.private_nodes ? 1 : 0

  project                            = var.project_id
  name                               = "${var.name}-nat"
  router                             = google_compute_router.nat[0].name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"

  log_config {
    enable = true
    filter = "ERRORS_ONLY"
  }
}
