# The Google identities of what runs in the cluster and of the image builds. Each gets the least it
# needs: object access on the one workspace bucket (granted on the bucket, never project-wide) and
# nothing else. The fleet's rights inside Kubernetes (StatefulSets, Services, PVCs, pods of its
# namespace) come from the Role in docker/k8s/fleet/rbac.yaml (modules/fleet writes it out), not from
# IAM: no roles/container.* here, so a leaked fleet token cannot reach another namespace or cluster.

# The studios' identity: one per fleet, shared by every workspace pod (the workspace template names the
# Kubernetes service account coditect-studio, docker/k8s/statefulset.yaml).
resource "google_service_account" "workspace" {
  project      = var.project_id
  account_id   = var.workspace_account_id
  display_name = "CODITECT studio workspaces"
  description  = "Workspace pods (Kubernetes SA ${var.namespace}/${var.workspace_ksa_name}): read and write the workspace bucket through GCS FUSE and the GCS API."
}

resource "google_service_account" "fleet" {
  project      = var.project_id
  account_id   = var.fleet_account_id
  display_name = "CODITECT fleet service"
  description  = "The fleet service (Kubernetes SA ${var.namespace}/${var.fleet_ksa_name}): archive records and v1 moves in the workspace bucket."
}

# Cloud Build runs docker/cloudbuild.yaml as this account rather than the project's default one, which
# often holds Editor.
resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = var.build_account_id
  display_name = "CODITECT image builds"
  description  = "Cloud Build (docker/cloudbuild.yaml): pushes images to the coditect repository, writes build logs."
}

# Workload Identity: the pods' Kubernetes service accounts may act as the Google ones. The member names
# the exact namespace and Kubernetes service account of docker/k8s/serviceaccount.yaml and
# docker/k8s/fleet/serviceaccount.yaml; any other pod, even in the same namespace, gets nothing.
resource "google_service_account_iam_member" "workspace_workload_identity" {
  service_account_id = google_service_account.workspace.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.workload_identity_pool}[${var.namespace}/${var.workspace_ksa_name}]"
}

resource "google_service_account_iam_member" "fleet_workload_identity" {
  service_account_id = google_service_account.fleet.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.workload_identity_pool}[${var.namespace}/${var.fleet_ksa_name}]"
}

# roles/storage.objectUser: create, read, overwrite, delete and list objects, the replica's and file
# sync's whole need (and what GCS FUSE read-write mounts need); unlike objectAdmin it cannot change
# object ACLs or IAM. The same role docker/k8s/serviceaccount.yaml and README.md ask for.
resource "google_storage_bucket_iam_member" "workspace_objects" {
  bucket = var.bucket_name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.workspace.email}"
}

# The fleet writes a deleted workspace's archive record beside its folder, lists folders and copies a
# v1 user's data into a workspace's folder: the same object rights, on the same bucket only.
resource "google_storage_bucket_iam_member" "fleet_objects" {
  bucket = var.bucket_name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.fleet.email}"
}

# A build run as a user-specified service account must send its logs somewhere it may write;
# docker/cloudbuild.yaml sends them to Cloud Logging only (CLOUD_LOGGING_ONLY). Pushing images is
# granted on the repository itself (modules/registry).
resource "google_project_iam_member" "build_logs" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${google_service_account.build.email}"
}

# Who may start a build as the build account (`gcloud builds submit --service-account=...`).
resource "google_service_account_iam_member" "build_submitters" {
  for_each = toset(var.build_submitters)

  service_account_id = google_service_account.build.name
  role               = "roles/iam.serviceAccountUser"
  member             = each.value
}
